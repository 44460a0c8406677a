# tests/model - SPIN model of the protocol (rules filled in by the model work).
.PHONY: check-model
check-model:
	@echo "# no model yet"
