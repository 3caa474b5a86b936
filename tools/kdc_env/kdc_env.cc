// tools/kdc_env/kdc_env.cc - see kdc_env.h.
#include "tools/kdc_env/kdc_env.h"

#include <stdlib.h>

#include <fstream>
#include <map>

namespace kenv {

namespace {
kdc_env g_env;
bool g_env_loaded = false;

std::string dirname_of(const std::string &p)
{
	size_t s = p.rfind('/');
	if (s == std::string::npos)
		return ".";
	if (s == 0)
		return "/";
	return p.substr(0, s);
}
} // namespace

bool kdc_env_load(const std::string &path_in, std::string *err)
{
	std::string path = path_in;
	if (path.empty()) {
		const char *e = getenv("KGSS_KDC_ENV");
		if (!e || !*e) {
			if (err)
				*err = "KGSS_KDC_ENV is not set (run scripts/kdc.sh start DIR and point it at DIR/env)";
			return false;
		}
		path = e;
	}
	if (g_env_loaded && g_env.path == path)
		return true;

	std::ifstream in(path);
	if (!in) {
		if (err)
			*err = "cannot open KDC env file '" + path + "' (did scripts/kdc.sh start run?)";
		return false;
	}
	std::map<std::string, std::string> kv;
	std::string line;
	int nlines = 0;
	while (std::getline(in, line) && nlines++ < 1000) {
		if (line.empty() || line[0] == '#')
			continue;
		size_t eq = line.find('=');
		if (eq == std::string::npos || eq == 0)
			continue;
		kv[line.substr(0, eq)] = line.substr(eq + 1);
	}
	kdc_env e;
	e.path = path;
	e.dir = dirname_of(path);
	struct {
		const char *key;
		std::string *dst;
	} req[] = {
		{"KRB5_CONFIG", &e.krb5_config},
		{"KRB5_KDC_PROFILE", &e.kdc_profile},
		{"KRB5_KTNAME", &e.ktname},
		{"KRB5CCNAME", &e.ccname},
		{"KGSS_REALM", &e.realm},
		{"KGSS_USER", &e.user},
		{"KGSS_PASSWORD", &e.password},
		{"KGSS_SERVICE", &e.service},
		{"KGSS_SERVICE_EXP", &e.service_exp},
	};
	for (auto &r : req) {
		auto it = kv.find(r.key);
		if (it == kv.end() || it->second.empty()) {
			if (err)
				*err = std::string("KDC env file '") + path + "' lacks " + r.key;
			return false;
		}
		*r.dst = it->second;
	}
	if (kv.count("KGSS_KDC_PORT"))
		e.kdc_port = atoi(kv["KGSS_KDC_PORT"].c_str());
	if (kv.count("KGSS_KDC_PID"))
		e.kdc_pid = atoi(kv["KGSS_KDC_PID"].c_str());

	setenv("KRB5_CONFIG", e.krb5_config.c_str(), 1);
	setenv("KRB5_KDC_PROFILE", e.kdc_profile.c_str(), 1);
	setenv("KRB5_KTNAME", e.ktname.c_str(), 1);
	setenv("KRB5CCNAME", e.ccname.c_str(), 1);
	setenv("KRB5RCACHEDIR", e.dir.c_str(), 1);
	g_env = e;
	g_env_loaded = true;
	return true;
}

const kdc_env *kdc_env_get() { return g_env_loaded ? &g_env : nullptr; }

} // namespace kenv
