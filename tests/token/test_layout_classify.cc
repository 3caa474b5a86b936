// iov_classify (iov/layout.cc): MIT gss_wrap_iov buffer rules.
#include <CppUTest/TestHarness.h>

#include "iov/layout.h"

using kgss::iov_classify;
using kgss::iov_layout;

TEST_GROUP(iov_classify){};

TEST(iov_classify, standard_layout)
{
	uint8_t a[10], b[3], h[32];
	kgss_iov v[] = {{KGSS_IOV_HEADER, {32, h}},      {KGSS_IOV_SIGN_ONLY, {3, b}}, {KGSS_IOV_DATA, {10, a}},
			{KGSS_IOV_EMPTY, {0, nullptr}},  {KGSS_IOV_DATA, {3, b}},      {KGSS_IOV_PADDING, {0, nullptr}},
			{KGSS_IOV_TRAILER, {0, nullptr}}};
	iov_layout l;
	CHECK_EQUAL(KGSS_S_COMPLETE, iov_classify(v, 7, &l));
	POINTERS_EQUAL(&v[0], l.header);
	POINTERS_EQUAL(&v[5], l.padding);
	POINTERS_EQUAL(&v[6], l.trailer);
	POINTERS_EQUAL(nullptr, l.stream);
	POINTERS_EQUAL(nullptr, l.mic_token);
	CHECK_EQUAL(13u, l.data_len);
	CHECK_EQUAL(3u, l.sign_len);
	CHECK_EQUAL(2u, l.data_count);
	CHECK_EQUAL(7u, l.count);
}

TEST(iov_classify, empty_array_is_fine)
{
	iov_layout l;
	CHECK_EQUAL(KGSS_S_COMPLETE, iov_classify(nullptr, 0, &l));
	CHECK_EQUAL(0u, l.count);
}

TEST(iov_classify, rejects)
{
	uint8_t a[4];
	iov_layout l;
	CHECK_EQUAL(KGSS_S_FAILURE, iov_classify(nullptr, 1, &l));
	kgss_iov two_headers[] = {{KGSS_IOV_HEADER, {4, a}}, {KGSS_IOV_HEADER, {4, a}}};
	CHECK_EQUAL(KGSS_S_FAILURE, iov_classify(two_headers, 2, &l));
	const uint32_t singles[] = {KGSS_IOV_TRAILER, KGSS_IOV_PADDING, KGSS_IOV_STREAM, KGSS_IOV_MIC_TOKEN};
	for (uint32_t t : singles) {
		kgss_iov twice[] = {{t, {1, a}}, {KGSS_IOV_DATA, {1, a}}, {t, {1, a}}};
		CHECK_EQUAL(KGSS_S_FAILURE, iov_classify(twice, 3, &l));
	}
	kgss_iov unknown[] = {{3 /* MIT MECH_PARAMS */, {1, a}}};
	CHECK_EQUAL(KGSS_S_FAILURE, iov_classify(unknown, 1, &l));
	kgss_iov flagged[] = {{KGSS_IOV_DATA | 0x10000u /* MIT ALLOCATE flag */, {1, a}}};
	CHECK_EQUAL(KGSS_S_FAILURE, iov_classify(flagged, 1, &l));
	kgss_iov null_value[] = {{KGSS_IOV_DATA, {5, nullptr}}};
	CHECK_EQUAL(KGSS_S_FAILURE, iov_classify(null_value, 1, &l));
	kgss_iov overflow[] = {{KGSS_IOV_DATA, {SIZE_MAX, a}}, {KGSS_IOV_DATA, {2, a}}};
	CHECK_EQUAL(KGSS_S_FAILURE, iov_classify(overflow, 2, &l));
	kgss_iov overflow_mixed[] = {{KGSS_IOV_HEADER, {SIZE_MAX, a}}, {KGSS_IOV_SIGN_ONLY, {2, a}}};
	CHECK_EQUAL(KGSS_S_FAILURE, iov_classify(overflow_mixed, 2, &l));
	CHECK_EQUAL(KGSS_S_FAILURE, iov_classify(two_headers, 1, nullptr));
}
