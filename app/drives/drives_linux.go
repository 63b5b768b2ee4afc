package drives

import (
	"bufio"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

func list() []Drive {
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []Drive
	for _, dir := range removableMounts(f, currentUser()) {
		d := Drive{Path: dir, Label: filepath.Base(dir), Free: -1}
		var st unix.Statfs_t
		if unix.Statfs(dir, &st) == nil {
			d.Free = int64(st.Bavail) * int64(st.Bsize)
		}
		out = append(out, d)
	}
	return out
}

// currentUser is the name of the user running the app ("" if unknown).
func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}

// removableMounts reads a mounts table (the format of /proc/self/mounts)
// and returns, sorted and once each, the mount points one level below
// /media/<name> or /run/media/<name>: where udisks mounts the user's
// removable volumes. With name "" any user's count.
func removableMounts(r io.Reader, name string) []string {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		dir := unescapeMount(fields[1])
		if underMedia(dir, name) {
			out = append(out, dir)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// underMedia reports whether dir is /media/<name>/<volume> or
// /run/media/<name>/<volume>.
func underMedia(dir, name string) bool {
	for _, base := range []string{"/media/", "/run/media/"} {
		rest, ok := strings.CutPrefix(dir, base)
		if !ok {
			continue
		}
		owner, volume, ok := strings.Cut(rest, "/")
		if ok && owner != "" && volume != "" && !strings.Contains(volume, "/") && (name == "" || owner == name) {
			return true
		}
	}
	return false
}

// unescapeMount decodes the octal escapes the kernel writes for space,
// tab, newline and backslash in a mounts table (`\040` is a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
