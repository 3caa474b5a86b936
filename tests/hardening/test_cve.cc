#include "CppUTest/TestHarness.h"
