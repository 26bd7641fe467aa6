#define BOOST_TEST_MODULE nncert
#include <boost/test/unit_test.hpp>
