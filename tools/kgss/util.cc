// tools/kgss/util.cc - see util.h.
#include "tools/kgss/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kgss_user.h"

namespace kcli {

namespace {
int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
} // namespace

bool hex_decode(const std::string &in, bytes *out)
{
	std::string s = in;
	size_t i = 0;
	while (i < s.size() && is_space(s[i]))
		i++;
	if (s.size() - i >= 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
		i += 2;
	bytes b;
	int hi = -1;
	for (; i < s.size(); i++) {
		char c = s[i];
		if (is_space(c) || c == ':') {
			if (hi >= 0)
				return false; // a separator inside a byte
			continue;
		}
		int v = hexval(c);
		if (v < 0)
			return false;
		if (hi < 0) {
			hi = v;
		} else {
			b.push_back((uint8_t)(hi << 4 | v));
			hi = -1;
		}
	}
	if (hi >= 0)
		return false;
	out->swap(b);
	return true;
}

bool base64_decode(const std::string &s, bytes *out)
{
	bytes b;
	uint32_t acc = 0;
	int bits = 0, n = 0, pad = 0;
	for (char c : s) {
		if (is_space(c))
			continue;
		int v;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else if (c == '=') {
			pad++;
			n++;
			continue;
		} else
			return false;
		if (pad)
			return false; // data after padding
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		n++;
		if (bits >= 8) {
			bits -= 8;
			b.push_back((uint8_t)(acc >> bits));
		}
	}
	if (pad > 2)
		return false;
	if (pad && n % 4 != 0)
		return false;
	int data_chars = n - pad;
	if (data_chars % 4 == 1)
		return false; // impossible length
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return false; // non-canonical trailing bits
	out->swap(b);
	return true;
}

std::string hex_encode(const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	std::string s;
	s.reserve(n * 2);
	for (size_t i = 0; i < n; i++) {
		s.push_back(d[p[i] >> 4]);
		s.push_back(d[p[i] & 15]);
	}
	return s;
}

std::string printable(const uint8_t *p, size_t n)
{
	std::string s;
	s.reserve(n);
	for (size_t i = 0; i < n; i++)
		s.push_back(p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.');
	return s;
}

void hexdump(FILE *f, const uint8_t *p, size_t n, const char *indent)
{
	for (size_t off = 0; off < n; off += 16) {
		size_t k = n - off < 16 ? n - off : 16;
		fprintf(f, "%s%04zx  ", indent, off);
		for (size_t i = 0; i < 16; i++) {
			if (i < k)
				fprintf(f, "%02x ", p[off + i]);
			else
				fputs("   ", f);
			if (i == 7)
				fputc(' ', f);
		}
		fprintf(f, " |%s|\n", printable(p + off, k).c_str());
	}
}

bool read_file(const std::string &path, bytes *out, std::string *err, size_t max)
{
	int fd = path == "-" ? 0 : open(path.c_str(), O_RDONLY | O_CLOEXEC);
	const std::string name = path == "-" ? "standard input" : "'" + path + "'";
	if (fd < 0) {
		*err = "cannot open " + name + ": " + strerror(errno);
		return false;
	}
	bytes b;
	uint8_t buf[65536];
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*err = "cannot read " + name + ": " + strerror(errno);
			if (fd != 0)
				close(fd);
			return false;
		}
		if (r == 0)
			break;
		if (b.size() + (size_t)r > max) {
			*err = name + " is larger than " + std::to_string(max) + " bytes";
			if (fd != 0)
				close(fd);
			return false;
		}
		b.insert(b.end(), buf, buf + r);
	}
	if (fd != 0)
		close(fd);
	wipe(buf, sizeof buf);
	out->swap(b);
	return true;
}

bool write_file(const std::string &path, const uint8_t *p, size_t n, std::string *err)
{
	int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		*err = "cannot create '" + path + "': " + strerror(errno);
		return false;
	}
	// an existing file keeps its mode with O_CREAT: tighten it (it may hold a key)
	if (fchmod(fd, 0600) != 0) {
		*err = "cannot chmod 0600 '" + path + "': " + strerror(errno);
		close(fd);
		return false;
	}
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, p + off, n - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			*err = "cannot write '" + path + "': " + strerror(errno);
			close(fd);
			return false;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		*err = "cannot write '" + path + "': " + strerror(errno);
		return false;
	}
	return true;
}

bool file_exists(const std::string &path)
{
	struct stat st;
	return stat(path.c_str(), &st) == 0;
}

std::string exe_dir()
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return "";
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return "";
	*slash = '\0';
	return buf[0] ? buf : "/";
}

std::string find_in_path(const std::string &name)
{
	const char *p = getenv("PATH");
	if (!p)
		return "";
	std::string path = p;
	size_t start = 0;
	while (start <= path.size()) {
		size_t end = path.find(':', start);
		if (end == std::string::npos)
			end = path.size();
		std::string dir = path.substr(start, end - start);
		if (dir.empty())
			dir = ".";
		std::string cand = dir + "/" + name;
		if (access(cand.c_str(), X_OK) == 0) {
			struct stat st;
			if (stat(cand.c_str(), &st) == 0 && S_ISREG(st.st_mode))
				return cand;
		}
		start = end + 1;
	}
	return "";
}

bool parse_int(const std::string &s, long min, long max, long *out)
{
	if (s.empty())
		return false;
	char *end = nullptr;
	errno = 0;
	long v = strtol(s.c_str(), &end, 0);
	if (errno != 0 || !end || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

std::string status_str(kgss_status s)
{
	char buf[24];
	snprintf(buf, sizeof buf, "0x%08x ", (unsigned)s);
	return buf + std::string(kgss_status_string(s));
}

namespace {
const enctype_facts k_facts[] = {
	{16, "des3-cbc-sha1", 0, 24, 8, 20, 4, 2},
	{17, "aes128-cts-hmac-sha1-96", 1, 16, 16, 12, 0, 0},
	{18, "aes256-cts-hmac-sha1-96", 1, 32, 16, 12, 0, 0},
	{19, "aes128-cts-hmac-sha256-128", 1, 16, 16, 16, 0, 0},
	{20, "aes256-cts-hmac-sha384-192", 1, 32, 16, 24, 0, 0},
	{23, "arcfour-hmac", 0, 16, 8, 8, 0x11, 0x10},
	{24, "arcfour-hmac-exp", 0, 16, 8, 8, 0x11, 0x10},
	{25, "camellia128-cts-cmac", 1, 16, 16, 16, 0, 0},
	{26, "camellia256-cts-cmac", 1, 32, 16, 16, 0, 0},
};
} // namespace

const int k_all_enctypes[9] = {16, 17, 18, 19, 20, 23, 24, 25, 26};

const enctype_facts *enctype_lookup(int etype)
{
	if (etype == 6)
		etype = 16; // MIT's lucid name for the DES3 key (des3-cbc-raw)
	for (const auto &f : k_facts)
		if (f.etype == etype)
			return &f;
	return nullptr;
}

bool have_openssl()
{
#ifdef KGSS_CLI_OPENSSL
	return true;
#else
	return false;
#endif
}

bool backend_options(const std::string &name, kgss_options *o, std::string *err)
{
	kgss_options_init_user(o);
	if (o->prng == nullptr) {
		*err = "kgss_options_init_user: no random generator (getrandom failed)";
		return false;
	}
	if (name == "builtin") {
		o->crypto = kgss_crypto_builtin();
		return true;
	}
	if (name == "openssl") {
#ifdef KGSS_CLI_OPENSSL
		o->crypto = kgss_crypto_openssl();
		o->prng = kgss_prng_openssl();
		if (o->crypto == nullptr || o->prng == nullptr) {
			*err = "the OpenSSL backend is not available";
			return false;
		}
		return true;
#else
		*err = "this kgss was built without libkgss_openssl (configure with -DKGSS_BUILD_OPENSSL=ON and "
		       "install libssl-dev)";
		return false;
#endif
	}
	*err = "unknown backend '" + name + "' (builtin or openssl)";
	return false;
}

void wipe(void *p, size_t n)
{
	volatile uint8_t *v = static_cast<volatile uint8_t *>(p);
	while (n--)
		*v++ = 0;
}

} // namespace kcli
