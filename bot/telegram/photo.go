package telegram

import (
	"context"
	"io"
	"net/http"
	"strings"

	tgbot "github.com/go-telegram/bot"

	"talaash"
)

// MaxPhoto is the largest file Photo reads: the Bot API hands bots files of
// up to 20 MB, a chat photo's largest size is far smaller.
const MaxPhoto = 20 << 20

// Photo fetches the file a chat photo's file id names: getFile gives its
// path, the file then comes from the Bot API's file URL (both under
// TELEGRAM_API_URL). The URL carries the bot token, so no error names it.
func (c *Channel) Photo(ctx context.Context, fileID string) ([]byte, error) {
	if strings.TrimSpace(fileID) == "" {
		return nil, talaash.Errorf(talaash.EINVALID, "telegram: empty file id")
	}
	f, err := c.tg.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, talaash.Errorf(talaash.ErrorCode(mapError(err)), "telegram: getFile: %s", c.redact(err.Error()))
	}
	if f.FilePath == "" {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "telegram: getFile gave no path")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.tg.FileDownloadLink(f), nil)
	if err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "telegram: file request: %s", c.redact(err.Error()))
	}
	res, err := c.client.Do(req)
	if err != nil {
		return nil, talaash.Errorf(talaash.EFAILED, "telegram: file: %s", c.redact(err.Error()))
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, talaash.Errorf(talaash.EFAILED, "telegram: file: HTTP %d", res.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, MaxPhoto+1))
	if err != nil {
		return nil, talaash.Errorf(talaash.EFAILED, "telegram: file: %s", c.redact(err.Error()))
	}
	if len(b) > MaxPhoto {
		return nil, talaash.Errorf(talaash.EINVALID, "telegram: file larger than %d bytes", MaxPhoto)
	}
	return b, nil
}
