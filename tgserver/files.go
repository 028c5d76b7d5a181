package tgserver

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // register GIF for photo decoding
	"image/jpeg"
	_ "image/png" // register PNG for photo decoding
	"mime"
	"net/http"
	"path"
	"strings"
)

// photoVariant is one size of a photo: its encoded bytes and dimensions.
type photoVariant struct {
	data          []byte
	width, height int
}

// photoVariants decodes a photo and returns JPEG thumbnails (longest side
// 90, 320 and 800 pixels, only those smaller than the original) followed by
// the original. Undecodable content gives one variant with unknown size.
func photoVariants(content []byte) []photoVariant {
	img, _, err := image.Decode(bytes.NewReader(content))
	if err != nil {
		return []photoVariant{{data: content}}
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var out []photoVariant
	for _, side := range []int{90, 320, 800} {
		if w <= side && h <= side {
			break
		}
		tw, th := side, side
		if w >= h {
			th = max(1, h*side/w)
		} else {
			tw = max(1, w*side/h)
		}
		dst := image.NewRGBA(image.Rect(0, 0, tw, th))
		for y := 0; y < th; y++ {
			sy := b.Min.Y + y*h/th
			for x := 0; x < tw; x++ {
				dst.Set(x, y, img.At(b.Min.X+x*w/tw, sy))
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
			continue
		}
		out = append(out, photoVariant{data: buf.Bytes(), width: tw, height: th})
	}
	return append(out, photoVariant{data: content, width: w, height: h})
}

// storeFileLocked stores content and assigns file ids and a file path
// under dir ("documents", "photos", …).
func (s *Server) storeFileLocked(dir, name, mimeType string, content []byte) *StoredFile {
	s.nextFile++
	n := s.nextFile
	ext := strings.ToLower(path.Ext(name))
	if mimeType == "" || mimeType == "application/octet-stream" {
		if byExt := mime.TypeByExtension(ext); byExt != "" {
			mimeType = byExt
		} else if len(content) > 0 {
			mimeType = http.DetectContentType(content)
		} else {
			mimeType = "application/octet-stream"
		}
	}
	if i := strings.IndexByte(mimeType, ';'); i >= 0 {
		mimeType = strings.TrimSpace(mimeType[:i])
	}
	if ext == "" {
		if exts, _ := mime.ExtensionsByType(mimeType); len(exts) > 0 {
			ext = exts[0]
		}
	}
	f := &StoredFile{
		FileID:       fmt.Sprintf("BQACAgIAAxkBAAI%s%08d", strings.ToUpper(dir[:2]), n),
		FileUniqueID: fmt.Sprintf("AgAD%08d", n),
		FilePath:     fmt.Sprintf("%s/file_%d%s", dir, n, ext),
		FileName:     name,
		MimeType:     mimeType,
		Size:         len(content),
		Content:      content,
	}
	s.files[f.FileID] = f
	s.filesByPath[f.FilePath] = f
	return f
}

func (s *Server) storePhotoLocked(variants []photoVariant) []PhotoSize {
	sizes := make([]PhotoSize, 0, len(variants))
	for _, v := range variants {
		f := s.storeFileLocked("photos", "", "image/jpeg", v.data)
		delete(s.filesByPath, f.FilePath)
		f.FilePath = strings.TrimSuffix(f.FilePath, path.Ext(f.FilePath)) + ".jpg"
		f.Width, f.Height = v.width, v.height
		s.filesByPath[f.FilePath] = f
		sizes = append(sizes, PhotoSize{FileID: f.FileID, FileUniqueID: f.FileUniqueID, Width: v.width, Height: v.height, FileSize: f.Size})
	}
	return sizes
}

// File returns a stored file by file_id (a copy; Content is shared and must
// not be modified).
func (s *Server) File(fileID string) (StoredFile, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[fileID]
	if f == nil {
		return StoredFile{}, false
	}
	return *f, true
}

// AddFile stores a file (as if uploaded earlier) and returns it, so that
// the bot can send it by file_id or download it with getFile.
func (s *Server) AddFile(fileName, mimeType string, content []byte) StoredFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.storeFileLocked("documents", fileName, mimeType, content)
}
