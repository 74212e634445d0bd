"""Background work: scheduled items done once (claim and do), the senders' leases, the scheduler's heartbeat and the nightly backup."""
