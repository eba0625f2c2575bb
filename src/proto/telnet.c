/* telnet.c: the Telnet banner. Option negotiation (RFC 855) is refused politely: every DO gets a
 * WONT and every WILL a DONT, which is what a dumb terminal answers and makes most devices print
 * their banner and login prompt. The banner is the text up to the prompt (or until the device
 * stops talking); nothing is typed at the prompt. */
#include <ctype.h>
#include <string.h>

#include "../core/err.h"
#include "banner.h"

#define IAC 255
#define DONT 254
#define DO 253
#define WONT 252
#define WILL 251
#define SB 250
#define SE 240
#define TELNET_MAX_TEXT 4096

size_t telnet_strip(const uint8_t *buf, size_t len, uint8_t *text, size_t cap, uint8_t *reply,
                    size_t reply_cap, size_t *reply_len, size_t *answered)
{
    size_t w = 0, i = 0;
    if (reply_len)
        *reply_len = 0;
    while (i < len) {
        if (buf[i] != IAC) {
            if (w < cap)
                text[w++] = buf[i];
            i++;
            continue;
        }
        if (i + 1 >= len)
            break;
        uint8_t cmd = buf[i + 1];
        if (cmd == IAC) { /* an escaped 255 */
            if (w < cap)
                text[w++] = IAC;
            i += 2;
        } else if (cmd >= WILL && cmd <= DONT) {
            if (i + 2 >= len)
                break;
            if (reply && answered && i >= *answered && (cmd == DO || cmd == WILL) &&
                *reply_len + 3 <= reply_cap) {
                reply[(*reply_len)++] = IAC;
                reply[(*reply_len)++] = cmd == DO ? WONT : DONT;
                reply[(*reply_len)++] = buf[i + 2];
            }
            i += 3;
        } else if (cmd == SB) {
            size_t k = i + 2;
            while (k + 1 < len && !(buf[k] == IAC && buf[k + 1] == SE))
                k++;
            i = k + 2;
        } else {
            i += 2;
        }
    }
    if (answered && i > *answered)
        *answered = i;
    return w;
}

bool telnet_prompt(const uint8_t *text, size_t n)
{
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\0'))
        n--;
    if (n == 0)
        return false;
    static const char *const prompts[] = { "login:", "username:", "user name:", "password:", "user:" };
    for (size_t i = 0; i < sizeof prompts / sizeof *prompts; i++) {
        size_t l = strlen(prompts[i]);
        if (n >= l && !strncasecmp((const char *)text + n - l, prompts[i], l))
            return true;
    }
    return text[n - 1] == '>' || text[n - 1] == '#' || text[n - 1] == '$';
}

static int telnet_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    (void)h;
    (void)x;
    (void)buf;
    (void)cap;
    return 0;
}

static int telnet_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    uint8_t text[TELNET_MAX_TEXT];
    (void)x;
    size_t n = telnet_strip(buf, len, text, sizeof text, NULL, 0, NULL, NULL);
    return telnet_prompt(text, n) ? (int)len : UNMASK_EAGAIN;
}

static size_t telnet_interim(struct probe_exchange *x, const uint8_t *buf, size_t len, uint8_t *out,
                             size_t cap)
{
    uint8_t text[TELNET_MAX_TEXT];
    size_t answered = x->state[0], rl = 0;
    telnet_strip(buf, len, text, sizeof text, out, cap, &rl, &answered);
    x->state[0] = (uint32_t)answered;
    return rl;
}

static int telnet_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    uint8_t text[TELNET_MAX_TEXT];
    size_t n = telnet_strip(buf, len, text, sizeof text, NULL, 0, NULL, NULL);
    size_t s = 0;
    while (s < n && (isspace(text[s]) || text[s] == 0))
        s++;
    while (n > s && (isspace(text[n - 1]) || text[n - 1] == 0))
        n--;
    if (n > s)
        probe_obs(h, "telnet.banner", (const char *)text + s, n - s, NULL, x->port);
    return PROBE_DONE;
}

static const uint16_t telnet_ports[] = { 23, 0 };

static const struct probe_field telnet_fields[] = {
    { "telnet.banner", "text before the login prompt, option negotiation removed" },
    { NULL, NULL },
};

const struct probe probe_telnet = {
    .name = "telnet",
    .service = "telnet",
    .transport = PROBE_TCP,
    .ports = telnet_ports,
    .max_reply = 8192,
    .idle_ms = 800,
    .request = telnet_request,
    .frame = telnet_frame,
    .observe = telnet_observe,
    .interim = telnet_interim,
    .fields = telnet_fields,
    .help = "Telnet banner up to the login prompt (options refused, nothing typed)",
};
