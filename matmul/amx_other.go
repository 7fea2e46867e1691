//go:build !amd64

package matmul

// finishTile32 is the tile epilogue (amx.go): Go on CPUs without AVX-512.
func finishTile32(t *float32, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32) {
	finishTile32Go(t, c, ldc, acc, src, ldsrc, bias)
}
