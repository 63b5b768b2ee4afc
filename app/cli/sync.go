package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	"mediadesk/app"
	"mediadesk/sync/bundle"
)

// The sync commands: enrollment and registration, export and import of
// bundles, and checking a bundle file (docs/bundle-format.md).

// commandContext is cancelled by Ctrl-C, so that a long export or import
// stops cleanly (nothing half-written, nothing half-applied).
func commandContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

// required refuses an empty flag value.
func required(value, flag string) error {
	if value == "" {
		return usageError(fmt.Sprintf("缺少 %s / %s is required", flag, flag))
	}
	return nil
}

// oneArg returns the one argument a command takes besides its flags.
func oneArg(rest []string, what string) (string, error) {
	if len(rest) != 1 {
		return "", usageError(fmt.Sprintf("需要一个 %s / takes one %s", what, what))
	}
	return rest[0], nil
}

// writeOut lets write put a file into a folder under its own name, and
// places it as out says: an existing folder keeps the file's own name; any
// other path is the file to write (written in a fresh folder beside it,
// then renamed, so that nothing else there is overwritten).
func writeOut(out string, write func(dir string) (string, error)) (string, error) {
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return write(out)
	}
	parent := filepath.Dir(out)
	tmp, err := os.MkdirTemp(parent, ".mediadesk-")
	if err != nil {
		return "", fmt.Errorf("无法在 %s 中写文件 / cannot write in %s: %w", parent, parent, err)
	}
	defer os.RemoveAll(tmp)
	written, err := write(tmp)
	if err != nil {
		return "", err
	}
	if err := os.Rename(written, out); err != nil {
		return "", fmt.Errorf("无法写入 %s / cannot write %s: %w", out, out, err)
	}
	syncDir(parent)
	return out, nil
}

// syncDir flushes a folder's entries to disk where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func runEnroll(args []string, env Env) error {
	var unitID, unit, out string
	sf, err := parseStoreFlags("hq enroll", args, need("unit-id", &unitID), need("unit", &unit), need("out", &out))
	if err != nil {
		return err
	}
	return sf.run(env, func(s *app.Session) error {
		path, err := writeOut(out, func(dir string) (string, error) { return s.EnrollUnit(unitID, unit, dir) })
		if err != nil {
			return fieldHint(err)
		}
		keys, err := s.Keys()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "宣传科指纹（请向所队读出）/ HQ fingerprint (read it out to the station): %s\n登记文件 / enrollment file: %s\n", keys.Fingerprint, path)
		return nil
	})
}

func runJoin(args []string, env Env) error {
	var enrollment, out string
	sf, err := parseStoreFlags("join", args, need("enrollment", &enrollment), need("out", &out))
	if err != nil {
		return err
	}
	e, err := app.ReadEnrollment(enrollment)
	if err != nil {
		return err
	}
	return sf.run(env, func(s *app.Session) error {
		ctx, stop := commandContext()
		defer stop()
		path, err := writeOut(out, func(dir string) (string, error) { return s.Join(ctx, enrollment, dir) })
		if err != nil {
			return err
		}
		keys, err := s.Keys()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "宣传科 / HQ: %s (%s)\n宣传科指纹（请与宣传科核对）/ HQ fingerprint (check it with HQ): %s\n"+
			"本单位指纹（请向宣传科读出）/ this unit's fingerprint (read it out to HQ): %s\n注册包 / registration: %s\n",
			e.HQName, e.HQUnit, e.HQ.Fingerprint(), keys.Fingerprint, path)
		return nil
	})
}

func runRegister(args []string, env Env) error {
	var fingerprint string
	sf, rest, err := parseStoreArgs("hq register", args, need("fingerprint", &fingerprint))
	if err != nil {
		return err
	}
	file, err := oneArg(rest, "FILE")
	if err != nil {
		return err
	}
	return sf.run(env, func(s *app.Session) error {
		ctx, stop := commandContext()
		defer stop()
		// A mismatch never prints the file's fingerprint: the check is
		// that HQ types what the station reads out.
		reg, err := s.RegisterUnit(ctx, file, fingerprint)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已登记 / registered: %s (%s)\n所队指纹 / station fingerprint: %s\n", reg.UnitName, reg.Unit, reg.Fingerprint)
		return nil
	})
}

func runRevoke(args []string, env Env) error {
	var unitID string
	sf, err := parseStoreFlags("hq revoke", args, need("unit-id", &unitID))
	if err != nil {
		return err
	}
	return sf.run(env, func(s *app.Session) error {
		err := s.RevokeUnit(unitID)
		if errors.Is(err, app.ErrAlreadyRevoked) {
			fmt.Fprintf(env.Stdout, "%s: %s\n", unitID, err)
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已吊销 / revoked: %s\n", unitID)
		return nil
	})
}

func runExport(args []string, env Env) error {
	var out, unit string
	sf, err := parseStoreFlags("export", args, need("out", &out), optional("unit", &unit, "all"))
	if err != nil {
		return err
	}
	if fi, err := os.Stat(out); err != nil || !fi.IsDir() {
		return fmt.Errorf("--out 必须是已有的文件夹：%s / --out must be an existing folder: %s", out, out)
	}
	return sf.run(env, func(s *app.Session) error {
		ctx, stop := commandContext()
		defer stop()
		paths, err := s.ExportBundles(ctx, out, unit, nil)
		for _, p := range paths {
			fmt.Fprintln(env.Stdout, p)
		}
		if err == nil && len(paths) == 0 {
			err = errors.New("没有已登记的所队可以导出 / no registered station to export to")
		}
		return err
	})
}

func runImport(args []string, env Env) error {
	sf, files, err := parseStoreArgs("import", args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError("请给出要导入的文件或文件夹 / name the files or folders to import")
	}
	return sf.run(env, func(s *app.Session) error {
		ctx, stop := commandContext()
		defer stop()
		results := s.ImportBundles(ctx, files, nil)
		if len(results) == 0 {
			return errors.New("没有发给本单位的同步包（文件夹中本单位导出的、发给其他单位的同步包和注册包不导入；注册包用 mediadesk hq register）/ no bundles for this unit (this unit's own, other units' bundles and registrations are passed over; register a registration with mediadesk hq register)")
		}
		refused := 0
		for _, r := range results {
			switch r.Result {
			case app.Imported:
				fmt.Fprintf(env.Stdout, "已导入 / imported: %s（%d 条记录 / records）\n", r.File, r.Records)
			case app.AlreadyImported:
				if r.Err != nil {
					// an older bundle, or one from before a new registration:
					// nothing in it is needed
					fmt.Fprintf(env.Stdout, "无需导入 / nothing to import: %s: %s\n", r.File, oneLine(r.Err.Error()))
					continue
				}
				fmt.Fprintf(env.Stdout, "已导入过 / already imported: %s\n", r.File)
			default:
				refused++
				fmt.Fprintf(env.Stderr, "mediadesk: 已拒绝 / refused: %s: %s\n", r.File, oneLine(r.Err.Error()))
			}
		}
		if refused > 0 {
			return fmt.Errorf("%d 个文件被拒绝 / %d files refused", refused, refused)
		}
		return nil
	})
}

// runVerify checks one bundle file. Exit codes: 0 valid, 1 not valid (or
// not for this unit, or from a sender this unit does not accept), 2 not
// checked: a usage error, or the store named by --data does not open (a
// wrong password, no store there, in use).
func runVerify(args []string, env Env) error {
	sf, rest, err := parseStoreArgs("verify", args)
	if err != nil {
		return err
	}
	file, err := oneArg(rest, "FILE")
	if err != nil {
		return err
	}
	if err := bundleFile(file); err != nil {
		return err
	}
	var s *app.Session
	if *sf.dir != "" {
		if s, err = sf.signIn(env); err != nil {
			// Exit 2, not 1: nothing was said about the bundle.
			return &exitError{code: 2, err: fmt.Errorf("未核对同步包：无法打开 %s 中的数据 / the bundle was not checked: cannot open the store in %s: %w",
				*sf.dir, *sf.dir, err)}
		}
		defer s.Close()
	}
	ctx, stop := commandContext()
	defer stop()
	m, err := app.VerifyBundle(ctx, file, s)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "有效 / valid: %s 发往 / to %s，序号 / sequence %d，%d 条记录 / records\n", m.Sender.Unit, m.Receiver.Unit, m.Sequence, m.Payload.Records)
	if s == nil {
		fmt.Fprintln(env.Stdout, "未核对发送方是否登记：签名只对文件自带的公钥有效；加 --data 核对 / sender not checked against a register: the signature is only checked against the key the file names; add --data to check it")
	}
	return nil
}

func runInspect(args []string, env Env) error {
	fs := flagSet("inspect")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	file, err := oneArg(rest, "FILE")
	if err != nil {
		return err
	}
	if err := bundleFile(file); err != nil {
		return err
	}
	m, err := bundle.ReadManifest(file)
	if err != nil {
		return err
	}
	return printJSON(env, m)
}

// bundleFile refuses a folder where one bundle file is wanted (reading
// it would say the file is cut short).
func bundleFile(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s 是文件夹，请给出其中的一个同步包文件（.mdbundle） / %s is a folder: name a bundle file (.mdbundle) in it", path, path)
	}
	return nil
}

func runStats(args []string, env Env) error {
	sf, err := parseStoreFlags("stats", args)
	if err != nil {
		return err
	}
	return sf.run(env, func(s *app.Session) error {
		st, err := s.SyncStats()
		if err != nil {
			return err
		}
		return printJSON(env, st)
	})
}

// printJSON prints v as indented JSON.
func printJSON(env Env, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "%s\n", b)
	return err
}
