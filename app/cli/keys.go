package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"mediadesk/app"
)

// The keys commands: show this unit's public keys, back its key pairs up
// to a passphrase-protected age file and restore them on a new PC, and a
// station's key rotation.

// backupVar holds the key backup passphrase.
const backupVar = "MEDIADESK_BACKUP_PASSPHRASE"

// backupPassphrase reads the key backup passphrase from backupVar, else
// from the terminal (twice when confirm: a mistyped passphrase would
// make the backup useless).
func backupPassphrase(env Env, confirm bool) (string, error) {
	if v := env.Getenv(backupVar); v != "" {
		return v, nil
	}
	f, ok := terminal(env)
	if !ok {
		return "", fmt.Errorf("没有备份口令：请设置 %s 或在终端中运行 / no backup passphrase: set %s or run in a terminal", backupVar, backupVar)
	}
	p, err := readHidden(env, f, "密钥备份口令 / key backup passphrase: ")
	if err != nil || !confirm {
		return p, err
	}
	again, err := readHidden(env, f, "再输入一次 / once more: ")
	if err == nil && again != p {
		err = fmt.Errorf("两次输入的口令不同 / the two passphrases differ")
	}
	return p, err
}

func runKeysShow(args []string, env Env) error {
	sf, err := parseStoreFlags("keys show", args)
	if err != nil {
		return err
	}
	return sf.run(env, func(s *app.Session) error {
		keys, err := s.OwnKeys()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "单位 / unit: %s (%s)\n", s.Unit().Name, s.Unit().ID)
		if len(keys) == 0 {
			if s.Unit().Kind == app.HQ {
				fmt.Fprintln(env.Stdout, "尚未生成单位密钥：宣传科在第一次生成登记文件（mediadesk hq enroll）时生成；接替原宣传科的新电脑请先恢复密钥备份（mediadesk keys restore） / "+
					"no unit keys yet: HQ makes them with its first enrollment file (mediadesk hq enroll); a new PC taking over from HQ restores the key backup first (mediadesk keys restore)")
			} else {
				fmt.Fprintln(env.Stdout, "尚未生成单位密钥：所队在加入宣传科（mediadesk join，或“同步”页导入登记文件）时生成；接替原所队的新电脑可以先恢复密钥备份（mediadesk keys restore） / "+
					"no unit keys yet: a station makes them when it joins HQ (mediadesk join, or Sync → import the enrollment file); a new PC taking over may restore a key backup first (mediadesk keys restore)")
			}
			return nil
		}
		for _, k := range keys {
			state := "已停用 / retired"
			switch {
			case k.Signing:
				state = "签名用 / signing"
			case k.Pending:
				state = "新密钥，待宣传科确认后启用 / new: signs once HQ has acknowledged it"
			}
			fmt.Fprintf(env.Stdout, "\n密钥 / key %s（%s）\n创建 / created: %s\n指纹 / fingerprint: %s\nage: %s\nminisign:\n%s",
				k.KeyID, state, time.UnixMilli(k.CreatedAt).Format("2006-01-02 15:04"), k.Fingerprint, k.Age, k.Minisign)
		}
		return nil
	})
}

func runKeysBackup(args []string, env Env) error {
	var out string
	sf, err := parseStoreFlags("keys backup", args, need("out", &out))
	if err != nil {
		return err
	}
	return sf.run(env, func(s *app.Session) error {
		pass, err := backupPassphrase(env, true)
		if err != nil {
			return err
		}
		if fi, err := os.Stat(out); err == nil && fi.IsDir() {
			// a folder, as --out takes elsewhere: the file gets a name of its own
			out = filepath.Join(out, s.Unit().ID+"-keys-"+time.Now().Format("20060102")+".age")
		}
		if err := writeFile(out, func(w io.Writer) error { return s.BackupKeys(w, pass) }); err != nil {
			return fieldHint(err)
		}
		fmt.Fprintf(env.Stdout, "已写出密钥备份，请与口令分开保管 / key backup written, keep it apart from the passphrase: %s\n", out)
		return nil
	})
}

// writeFile writes a private file durably: a temp file beside it (only
// the owner may read it), fsynced, then renamed.
func writeFile(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".mediadesk-*.tmp")
	if err != nil {
		return fmt.Errorf("无法在 %s 中写文件 / cannot write in %s: %w", dir, dir, err)
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	syncDir(dir)
	return nil
}

func runKeysRestore(args []string, env Env) error {
	sf, rest, err := parseStoreArgs("keys restore", args)
	if err != nil {
		return err
	}
	file, err := oneArg(rest, "FILE")
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("无法打开 %s / cannot open %s: %w", file, file, err)
	}
	defer f.Close()
	return sf.run(env, func(s *app.Session) error {
		pass, err := backupPassphrase(env, false)
		if err != nil {
			return err
		}
		if err := s.RestoreKeys(f, pass); err != nil {
			return err
		}
		keys, err := s.Keys()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已恢复密钥 / keys restored: %s (%s)\n指纹 / fingerprint: %s\n", s.Unit().Name, s.Unit().ID, keys.Fingerprint)
		return nil
	})
}

func runKeysRotate(args []string, env Env) error {
	sf, err := parseStoreFlags("keys rotate", args)
	if err != nil {
		return err
	}
	return sf.run(env, func(s *app.Session) error {
		k, err := s.RotateKeys()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已生成新密钥 / new key: %s\n指纹 / fingerprint: %s\n"+
			"新公钥随下一个同步包发给宣传科，宣传科确认收到后启用 / the new public key goes to HQ with the next export and signs once HQ has acknowledged it\n",
			k.KeyID, k.Fingerprint)
		return nil
	})
}
