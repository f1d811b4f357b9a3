package integration

import (
	"os/exec"
	"syscall"
)

// setChildAttrs makes the kernel kill a server if the test binary dies
// (a panic or a -timeout), so no server outlives its test run.
func setChildAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
