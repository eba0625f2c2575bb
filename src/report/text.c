/* text.c: helpers for writers that print device strings to people: control characters out. */
#include "text.h"

#include <string.h>

size_t text_clean(const char *s, size_t n, char *out, size_t cap, size_t max_chars)
{
    size_t j = 0, chars = 0;
    if (!s || cap == 0 || max_chars == 0) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    /* Count characters first: a cut keeps max_chars - 1 of them and adds an ellipsis, so the
     * display width never exceeds max_chars. */
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += ((unsigned char)s[i] & 0xC0) != 0x80;
    size_t keep = total > max_chars ? max_chars - 1 : max_chars;
    for (size_t i = 0; i < n && chars < keep; i++) {
        unsigned char c = (unsigned char)s[i];
        /* C0 controls, DEL, and the C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F), which some
         * terminals honour as escape sequences, become '?'. */
        if (c < 0x20 || c == 0x7f) {
            c = '?';
        } else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9F) {
            i++;
            c = '?';
        }
        size_t need = 1;
        if (c >= 0xC0)
            need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        /* Only a well-formed sequence is copied whole: a lead byte followed by ESC must not smuggle
         * the ESC through. */
        for (size_t k = 1; k < need; k++)
            if (i + k >= n || ((unsigned char)s[i + k] & 0xC0) != 0x80) {
                need = 1;
                c = '?';
                break;
            }
        if (c >= 0x80 && need == 1)
            c = '?';
        if (j + need >= cap)
            break;
        if (need == 1) {
            out[j++] = (char)c;
        } else {
            if (i + need > n)
                break;
            memcpy(out + j, s + i, need);
            j += need;
            i += need - 1;
        }
        chars++;
    }
    if (total > max_chars && j + 3 < cap) {
        memcpy(out + j, "\xE2\x80\xA6", 3); /* … */
        j += 3;
        chars++;
    }
    out[j] = '\0';
    return chars;
}
