// The one CppUTest main every test executable links.
#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/MemoryLeakWarningPlugin.h>

int main(int argc, char **argv)
{
	// Leak checking is ASan's and valgrind's job; CppUTest's own new/delete
	// bookkeeping confuses both and OpenSSL's lazy allocations.
	MemoryLeakWarningPlugin::turnOffNewDeleteOverloads();
	MemoryLeakWarningPlugin::destroyGlobalDetector();
	return CommandLineTestRunner::RunAllTests(argc, argv);
}
