-- A lookup probes threepids by (medium, address) once per 3PID: with the
-- address first, a probe's comparisons mostly end on the address and
-- read it as the key's first, fixed-offset column; the medium, equal for
-- nearly every row, was compared at every step.  Equality lookups and
-- ON CONFLICT (medium, address) are indifferent to the column order.
ALTER TABLE threepids DROP CONSTRAINT threepids_pkey,
	ADD CONSTRAINT threepids_pkey PRIMARY KEY (address, medium)
	INCLUDE (user_id);
