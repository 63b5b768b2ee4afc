package app

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
)

// MaxImageBytes bounds one attached image.
const MaxImageBytes = 50 << 20

// imageTypes are the image formats the editor shows (and platforms take).
var imageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true}

// AttachImage seals an image into the store, streaming, and returns its
// attachment ID for PostDraft.Images. It refuses files that are not PNG,
// JPEG or GIF, or are larger than MaxImageBytes.
func (s *Session) AttachImage(r io.Reader, name string) (string, error) {
	if err := s.requireStation(); err != nil {
		return "", err
	}
	br := bufio.NewReaderSize(r, 512)
	head, _ := br.Peek(512)
	mime := http.DetectContentType(head)
	if !imageTypes[mime] {
		return "", &FieldError{Field: "images", Msg: fmt.Sprintf("%s 不是 PNG、JPEG 或 GIF 图片 / %s is not a PNG, JPEG or GIF image", filepath.Base(name), filepath.Base(name))}
	}
	limited := &limitReader{r: br, left: MaxImageBytes}
	a, err := s.store.PutAttachment(limited, filepath.Base(name), mime, s.now())
	if limited.over {
		return "", &FieldError{Field: "images", Msg: fmt.Sprintf("图片不能超过 %d MB / an image may have at most %d MB", MaxImageBytes>>20, MaxImageBytes>>20)}
	}
	if err != nil {
		return "", err
	}
	return a.ID, nil
}

// limitReader fails once more than left bytes are read.
type limitReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		l.over = true
		return n, fmt.Errorf("too large")
	}
	return n, err
}

// OpenAttachment streams an attachment's content (for thumbnails and
// previews). The caller closes it.
func (s *Session) OpenAttachment(id string) (io.ReadCloser, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	return s.store.OpenAttachment(id)
}

// AttachmentName returns the file name an attachment was added with.
func (s *Session) AttachmentName(id string) (string, error) {
	a, err := s.store.GetAttachment(id)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(a.Name), nil
}
