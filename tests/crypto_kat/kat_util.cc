#include "kat_util.h"

#include <CppUTest/TestHarness.h>
#include <cstdio>
#include <cstring>
#include <map>

namespace katu {

namespace {
struct counters {
	// check -> what -> backend -> runs (negative key "!" prefix: unavailable)
	std::map<std::string, std::map<std::string, std::map<std::string, long>>> runs, unavail;
	~counters()
	{
		std::printf("\n==== test_crypto_kat: checks run per (check, enctype/primitive) and backend ====\n");
		for (auto &c : runs) {
			for (auto &w : c.second) {
				std::printf("  %-22s %-28s", c.first.c_str(), w.first.c_str());
				for (auto &b : w.second)
					std::printf("  %s=%ld", b.first.c_str(), b.second);
				std::printf("\n");
			}
		}
		if (!unavail.empty()) {
			std::printf("---- NOT RUN (backend lacks the primitive) ----\n");
			for (auto &c : unavail)
				for (auto &w : c.second)
					for (auto &b : w.second)
						std::printf("  %-22s %-28s %s: %ld not run\n", c.first.c_str(),
							    w.first.c_str(), b.first.c_str(), b.second);
		} else {
			std::printf("---- every check ran on every backend ----\n");
		}
	}
};
counters &ctr()
{
	static counters c;
	return c;
}
} // namespace

void count(const std::string &check, const std::string &what, const char *b) { ctr().runs[check][what][b]++; }
void count_unavailable(const std::string &check, const std::string &what, const char *b)
{
	ctr().unavail[check][what][b]++;
}
long total(const std::string &check)
{
	long n = 0;
	for (auto &w : ctr().runs[check])
		for (auto &b : w.second)
			n += b.second;
	return n;
}

std::unique_ptr<kgss::enc_key> new_enc_key() { return std::unique_ptr<kgss::enc_key>(new kgss::enc_key()); }
std::unique_ptr<kgss::mac_key> new_mac_key() { return std::unique_ptr<kgss::mac_key>(new kgss::mac_key()); }

bool recovered_confounder(const kt::vector_block &b, bytes *out)
{
	const std::string tag = "# recovered confounder = ";
	for (auto &c : b.comments)
		if (c.compare(0, tag.size(), tag) == 0) {
			*out = kt::hex(c.substr(tag.size()));
			return true;
		}
	return false;
}

bytes join_ct(const kgss::enctype *et, const bytes &enc, const bytes &tag)
{
	bytes r;
	if (et->family() == kgss::FAMILY_RC4) {
		r = tag;
		r.insert(r.end(), enc.begin(), enc.end());
	} else {
		r = enc;
		r.insert(r.end(), tag.begin(), tag.end());
	}
	return r;
}

bool split_ct(const kgss::enctype *et, const bytes &ct, bytes *enc, bytes *tag)
{
	size_t h = et->cksum_len;
	if (ct.size() < h)
		return false;
	if (et->family() == kgss::FAMILY_RC4) {
		tag->assign(ct.begin(), ct.begin() + h);
		enc->assign(ct.begin() + h, ct.end());
	} else {
		enc->assign(ct.begin(), ct.end() - h);
		tag->assign(ct.end() - h, ct.end());
	}
	return true;
}

kgss_status encrypt_contig(const kgss::enctype *et, const kgss::enc_key *k, const bytes &conf, const bytes &plain,
			   bytes *ct)
{
	bytes buf = conf;
	buf.insert(buf.end(), plain.begin(), plain.end());
	if (et->family() == kgss::FAMILY_DES3)
		while (buf.size() % 8)
			buf.push_back(0);
	kgss_iov iov = {KGSS_IOV_DATA, {buf.size(), buf.data()}};
	kgss::seglist sl;
	sl.set_iov(&iov, 1);
	bytes tag(et->cksum_len);
	kgss_status st = et->encrypt(k, sl, tag.data());
	*ct = join_ct(et, buf, tag);
	return st;
}

kgss_status decrypt_contig(const kgss::enctype *et, const kgss::enc_key *k, const bytes &ct, bytes *out)
{
	bytes enc, tag;
	if (!split_ct(et, ct, &enc, &tag))
		return KGSS_S_DEFECTIVE_TOKEN;
	kgss_iov iov = {KGSS_IOV_DATA, {enc.size(), enc.data()}};
	kgss::seglist sl;
	sl.set_iov(&iov, 1);
	kgss_status st = et->decrypt(k, sl, tag.data());
	*out = enc;
	return st;
}

std::string et_label(int32_t etype)
{
	const kgss::enctype *et = kgss::enctype_find(etype);
	return std::to_string(etype) + (et ? std::string(" ") + et->name : std::string(""));
}

} // namespace katu
