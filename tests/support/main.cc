// The one CppUTest main every test executable links.
#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/MemoryLeakWarningPlugin.h>

#include "families.h"

int main(int argc, char **argv)
{
	// Leak checking is ASan's and valgrind's job; CppUTest's own new/delete
	// bookkeeping confuses both and OpenSSL's lazy allocations.
	MemoryLeakWarningPlugin::turnOffNewDeleteOverloads();
	MemoryLeakWarningPlugin::destroyGlobalDetector();
	// families_finish: compiled-out tallies; fails a vector suite that ran no vector
	return kt::families_finish(CommandLineTestRunner::RunAllTests(argc, argv));
}
