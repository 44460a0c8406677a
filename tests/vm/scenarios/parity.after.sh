# parity (B's part): once B has taken all of A's memory, its facts.
check "B took all of A's memory (within 30 s)" wait_until 30 chain_settled
check "B's CPUs are all online (within 10 s)" wait_until 10 cpus_back
parity_facts
finish
