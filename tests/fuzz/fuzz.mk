# tests/fuzz - libFuzzer harnesses (rules filled in by the fuzz work).
.PHONY: check-fuzz
check-fuzz:
	@echo "# no fuzzers yet"
