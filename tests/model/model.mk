# tests/model - SPIN model of the protocol (tests/model/relief.pml).
# check-model builds one verifier per check with spin -a, compiles and runs
# it over the full state space, and prints a PASS:/FAIL: line per check:
# the properties, the negative controls (which must fail) and the cover
# checks (runs the model must contain). Documentation/relief/model.rst.
# One check: make check-model MODEL_CHECKS=safety

MODEL_CHECKS ?=

.PHONY: check-model
check-model: $(TOP)/tests/model/relief.pml $(TOP)/tests/model/check-model.sh
	@CC="$(CC)" $(TOP)/tests/model/check-model.sh $(OUT)/model $(MODEL_CHECKS)
