package main

import (
	"os"
	"testing"
)

// childMainEnv makes the test binary run xinyong's main instead of the tests. A publication builds the site
// in a child process of its own binary (os.Executable), which in these tests is the test binary.
const childMainEnv = "XINYONG_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childMainEnv) != "" {
		main()
	}
	os.Setenv(childMainEnv, "1") // inherited by the child builds
	os.Exit(m.Run())
}
