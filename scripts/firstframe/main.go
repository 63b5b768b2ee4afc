// Command firstframe measures how long a window takes to show its first
// drawn frame (make startup-time): it starts the program, reads the X
// screen with xwd every few milliseconds and stops the clock when the
// screen shows drawn content (text: many distinct colours), not an empty
// or black window. It needs a running X server (Xvfb) in DISPLAY and xwd.
//
//	go run ./scripts/firstframe [-runs N] [-drop-caches] -- PROGRAM [ARGS...]
//
// With -drop-caches (root only) the page cache is emptied before each run,
// so the program, its libraries and its data are read from disk: a cold
// start. The screen is polled from this process, which takes a little CPU
// from the program measured: the numbers err on the slow side.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"
)

// drawnColours is how many distinct colours the screen must show to count
// as drawn: an unpainted window is one colour, anti-aliased text many.
const drawnColours = 24

func main() {
	runs := flag.Int("runs", 5, "how many starts to time")
	drop := flag.Bool("drop-caches", false, "empty the page cache before each start (root)")
	limit := flag.Duration("timeout", 30*time.Second, "give up on a start after this long")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: firstframe [-runs N] [-drop-caches] -- PROGRAM [ARGS...]")
		os.Exit(2)
	}
	if n, err := screenColours(); err != nil {
		fail(err)
	} else if n >= drawnColours {
		fail(fmt.Errorf("the screen already shows %d colours: start from an empty X server", n))
	}
	var times []time.Duration
	for i := range *runs {
		if *drop {
			if err := dropCaches(); err != nil {
				fail(err)
			}
		}
		d, err := timeStart(flag.Args(), *limit)
		if err != nil {
			fail(fmt.Errorf("run %d: %w", i+1, err))
		}
		fmt.Printf("run %d: first frame after %d ms\n", i+1, d.Milliseconds())
		times = append(times, d)
		time.Sleep(500 * time.Millisecond) // let the X server settle
	}
	slices.Sort(times)
	fmt.Printf("median %d ms, min %d ms, max %d ms over %d runs (cold: %v)\n",
		times[len(times)/2].Milliseconds(), times[0].Milliseconds(), times[len(times)-1].Milliseconds(), len(times), *drop)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "firstframe:", err)
	os.Exit(1)
}

func dropCaches() error {
	if err := exec.Command("sync").Run(); err != nil {
		return err
	}
	return os.WriteFile("/proc/sys/vm/drop_caches", []byte("3\n"), 0)
}

// timeStart starts the program and returns when the screen shows a drawn
// frame; the program is then stopped.
func timeStart(argv []string, limit time.Duration) (time.Duration, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
		<-exited
	}()
	for time.Since(start) < limit {
		select {
		case err := <-exited:
			exited <- err
			return 0, fmt.Errorf("the program ended before drawing: %v", err)
		default:
		}
		n, err := screenColours()
		if err != nil {
			return 0, err
		}
		if n >= drawnColours {
			return time.Since(start), nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return 0, fmt.Errorf("nothing drawn within %v", limit)
}

// screenColours counts the distinct colours on the root window, up to
// drawnColours.
func screenColours() (int, error) {
	out, err := exec.Command("xwd", "-root", "-silent").Output()
	if err != nil {
		return 0, fmt.Errorf("xwd: %w", err)
	}
	return countColours(out)
}

// countColours reads an XWD dump (a big-endian header, a colour map, then
// the pixels) of a screen of 24 or 32 bits per pixel and counts distinct pixel values,
// stopping at drawnColours.
func countColours(xwd []byte) (int, error) {
	if len(xwd) < 100 {
		return 0, errors.New("xwd: short dump")
	}
	field := func(i int) int { return int(binary.BigEndian.Uint32(xwd[4*i:])) }
	headerSize, bitsPerPixel, bytesPerLine := field(0), field(11), field(12)
	width, height, nColours := field(4), field(5), field(19)
	if bitsPerPixel != 24 && bitsPerPixel != 32 {
		return 0, fmt.Errorf("xwd: %d bits per pixel, want a 24-bit screen (Xvfb -screen 0 WxHx24)", bitsPerPixel)
	}
	step := bitsPerPixel / 8
	pixels := xwd[min(len(xwd), headerSize+12*nColours):]
	if len(pixels) < bytesPerLine*height {
		return 0, errors.New("xwd: truncated pixels")
	}
	seen := map[uint32]bool{}
	for y := 0; y < height; y += 2 {
		row := pixels[y*bytesPerLine:]
		for x := 0; x < width; x += 2 {
			p := row[step*x:]
			seen[uint32(p[0])|uint32(p[1])<<8|uint32(p[2])<<16] = true
			if len(seen) >= drawnColours {
				return len(seen), nil
			}
		}
	}
	return len(seen), nil
}
