package checker

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = RunCLI(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCLINoFinding(t *testing.T) {
	code, out, errOut := runCLI(t, "今天天气很好，民警在社区开展防诈骗宣传。")
	if code != 0 || out != "" || errOut != "" {
		t.Errorf("code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, _ = runCLI(t, "", "-")
	if code != 0 {
		t.Errorf("empty stdin: code %d", code)
	}
}

func TestCLIFindingsJSON(t *testing.T) {
	text := "\uFEFF國保大队 涉 密，手机１３８００１３８０００"
	path := writeFile(t, "draft.txt", []byte(text))
	for _, args := range [][]string{{path}, {"-"}, nil} {
		code, out, errOut := runCLI(t, text, args...)
		if code != 1 || errOut != "" {
			t.Fatalf("args %v: code %d, stderr %q", args, code, errOut)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("want 3 lines, got %q", out)
		}
		// Offsets count characters after the byte-order mark.
		runes := []rune(strings.TrimPrefix(text, "\uFEFF"))
		wantRules := []string{"b18.2-10", "b18.2-01", "pii.mobile"}
		for i, line := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			if len(m) != 6 {
				t.Errorf("keys %v, want rule category action start end text", keys)
			}
			start, end := int(m["start"].(float64)), int(m["end"].(float64))
			if m["text"] != string(runes[start:end]) {
				t.Errorf("text %q does not match offsets [%d,%d) = %q", m["text"], start, end, string(runes[start:end]))
			}
			if m["rule"] != wantRules[i] {
				t.Errorf("line %d rule %v, want %s", i, m["rule"], wantRules[i])
			}
			if m["action"] == "" || m["category"] == "" {
				t.Errorf("line %q", line)
			}
		}
		if !strings.Contains(lines[0], `"text":"國保"`) || !strings.Contains(lines[0], `"action":"BLOCK"`) || !strings.Contains(lines[0], `"category":"art18.2"`) {
			t.Errorf("first line %q", lines[0])
		}
	}
}

func TestCLICustomLexicon(t *testing.T) {
	lex := writeFile(t, "hq.jsonl", []byte(`{"id":"hq1","term":"测试词","category":"art18.12","action":"WARN"}`+"\n"))
	code, out, errOut := runCLI(t, "这里有测试词，也有涉密", "--lexicon", lex)
	if code != 1 || errOut != "" {
		t.Fatalf("code %d stderr %q", code, errOut)
	}
	// The lexicon file replaces the built-in one: 涉密 is not reported.
	if want := `{"rule":"hq1","category":"art18.12","action":"WARN","start":3,"end":6,"text":"测试词"}` + "\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	code, out, _ = runCLI(t, "平安无事", "-lexicon="+lex, "-")
	if code != 0 || out != "" {
		t.Errorf("code %d stdout %q", code, out)
	}
}

func TestCLIBadInput(t *testing.T) {
	dir := t.TempDir()
	badLex := writeFile(t, "bad.jsonl", []byte("# x\n"+`{"id":"a","term":"涉密","category":"art18.2","action":"block"}`+"\n"))
	emptyLex := writeFile(t, "empty.jsonl", []byte("# nothing\n"))
	badUTF8 := writeFile(t, "gbk.txt", []byte{0xc9, 0xe6, 0xc3, 0xdc, 0xff})
	cases := []struct {
		name  string
		args  []string
		stdin string
		want  []string
	}{
		{"missing file", []string{filepath.Join(dir, "nope.txt")}, "", []string{"读不了", "cannot read"}},
		{"directory", []string{dir}, "", []string{"读不了"}},
		{"invalid utf8 file", []string{badUTF8}, "", []string{"不是有效的 UTF-8", "not valid UTF-8"}},
		{"invalid utf8 stdin", nil, "涉密\xff", []string{"不是有效的 UTF-8"}},
		{"bad lexicon", []string{"--lexicon", badLex, "-"}, "涉密", []string{"第 2 行：action 必须是", "line 2: action must be"}},
		{"empty lexicon", []string{"--lexicon", emptyLex}, "涉密", []string{"没有词条"}},
		{"missing lexicon", []string{"--lexicon", filepath.Join(dir, "none.jsonl")}, "涉密", []string{"读不了词库"}},
		{"unknown flag", []string{"--nope"}, "", []string{"参数有误", "usage"}},
		{"two files", []string{"a", "b"}, "", []string{"一次只能检查一个文件"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.stdin, c.args...)
			if code != 2 {
				t.Errorf("code %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout %q", out)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.HasSuffix(errOut, "\n") {
				t.Errorf("stderr is not one line: %q", errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
		})
	}
}

func TestCLIHelp(t *testing.T) {
	code, out, _ := runCLI(t, "", "-h")
	if code != 0 || !strings.Contains(out, "mediadesk check") {
		t.Errorf("code %d out %q", code, out)
	}
}
