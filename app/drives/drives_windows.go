package drives

import (
	"golang.org/x/sys/windows"
)

func list() []Drive {
	mask, err := windows.GetLogicalDrives()
	if err != nil {
		return nil
	}
	var out []Drive
	for i := range 26 {
		if mask&(1<<i) == 0 {
			continue
		}
		root := string(rune('A'+i)) + `:\`
		p, err := windows.UTF16PtrFromString(root)
		if err != nil || windows.GetDriveType(p) != windows.DRIVE_REMOVABLE {
			continue
		}
		name := make([]uint16, windows.MAX_PATH+1)
		if windows.GetVolumeInformation(p, &name[0], uint32(len(name)), nil, nil, nil, nil, 0) != nil {
			continue // no medium in the slot (a card reader), or not readable
		}
		d := Drive{Path: root, Label: windows.UTF16ToString(name), Free: -1}
		if d.Label == "" {
			d.Label = root
		}
		var free, total, totalFree uint64
		if windows.GetDiskFreeSpaceEx(p, &free, &total, &totalFree) == nil {
			d.Free = int64(free)
		}
		out = append(out, d)
	}
	return out
}
