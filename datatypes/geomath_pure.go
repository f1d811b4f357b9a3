//go:build !(cgo && linux)

package datatypes

func geoSin(x float64) float64  { return crSin(x) }
func geoCos(x float64) float64  { return crCos(x) }
func geoAsin(x float64) float64 { return crAsin(x) }
