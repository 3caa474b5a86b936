#include "testutil.h"

#include <CppUTest/TestHarness.h>
#include <fstream>
#include <sstream>

namespace kt {

static int nib(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bytes hex(const std::string &s)
{
	bytes out;
	if (s == "-")
		return out;
	if (s.size() % 2 != 0)
		FAIL(("odd-length hex: " + s).c_str());
	for (size_t i = 0; i < s.size(); i += 2) {
		int a = nib(s[i]), b = nib(s[i + 1]);
		if (a < 0 || b < 0)
			FAIL(("bad hex: " + s).c_str());
		out.push_back((uint8_t)(a * 16 + b));
	}
	return out;
}

std::string to_hex(const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	std::string s;
	for (size_t i = 0; i < n; i++) {
		s += d[p[i] >> 4];
		s += d[p[i] & 15];
	}
	return s;
}

const std::string &vector_block::get(const std::string &k) const
{
	auto it = f.find(k);
	if (it == f.end()) {
		std::string msg = "vector at line " + std::to_string(line) + " has no field " + k;
		FAIL(msg.c_str());
	}
	return it->second;
}

long vector_block::num(const std::string &k) const { return std::stol(get(k)); }

std::vector<vector_block> load_vectors(const std::string &file)
{
	std::string path = std::string(KGSS_VECTOR_DIR) + "/" + file;
	std::ifstream in(path);
	if (!in)
		FAIL(("cannot open vector file " + path).c_str());
	std::vector<vector_block> out;
	std::vector<std::string> comments;
	vector_block *cur = nullptr;
	std::string line;
	int n = 0;
	while (std::getline(in, line)) {
		n++;
		if (line.empty()) {
			cur = nullptr;
			continue;
		}
		if (line[0] == '#') {
			comments.push_back(line);
			continue;
		}
		if (line[0] == '[') {
			out.emplace_back();
			cur = &out.back();
			cur->kind = line.substr(1, line.find(']') - 1);
			cur->comments.swap(comments);
			cur->line = n;
			continue;
		}
		size_t eq = line.find(" = ");
		if (!cur || eq == std::string::npos)
			FAIL((path + ": malformed line " + std::to_string(n)).c_str());
		cur->f[line.substr(0, eq)] = line.substr(eq + 3);
	}
	if (out.empty())
		FAIL(("no vectors in " + path).c_str());
	return out;
}

void fill_random(uint64_t &seed, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		p[i] = (uint8_t)(seed >> 24);
	}
}

} // namespace kt
