/* banner.h: protocols where the server speaks first: SSH (RFC 4253 4.2), Telnet (RFC 854, options
 * RFC 855), FTP (RFC 959 greeting), and Hikvision's SDK port 8000. Each has its own probe file;
 * this header holds their pure parsers. */
#ifndef UNMASK_BANNER_H
#define UNMASK_BANNER_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* SSH: the identification line ("SSH-2.0-..."), possibly after other lines. Returns the length of
 * the bytes up to and including its line end (> 0) with *line and *n set (no CR LF), UNMASK_EAGAIN, or
 * UNMASK_EPARSE when 16 lines or 8 KiB passed without one. */
int ssh_parse_banner(const uint8_t *buf, size_t len, const uint8_t **line, size_t *n);

/* Telnet: strips option negotiation (IAC sequences, RFC 854/855) from buf into text (capacity cap),
 * and, when reply is not NULL, writes the refusals for options not yet answered (DO x -> WONT x,
 * WILL x -> DONT x) for the bytes from *answered on; *answered advances. Returns the text length. */
size_t telnet_strip(const uint8_t *buf, size_t len, uint8_t *text, size_t cap, uint8_t *reply,
                    size_t reply_cap, size_t *reply_len, size_t *answered);
/* True if text ends in a login or shell prompt (the banner is complete). */
bool telnet_prompt(const uint8_t *text, size_t n);

/* FTP: the greeting, a reply "220 ..." or a multi-line "220-" ... "220 ..." (RFC 959 4.2). Returns
 * its length (> 0), UNMASK_EAGAIN or UNMASK_EPARSE (not an FTP reply). */
int ftp_parse_greeting(const uint8_t *buf, size_t len);

extern const struct probe probe_ssh, probe_telnet, probe_ftp, probe_hiksdk;

#endif
