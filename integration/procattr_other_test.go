//go:build !linux

package integration

import "os/exec"

func setChildAttrs(cmd *exec.Cmd) {}
