ledger_count = 3
