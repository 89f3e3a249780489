-- MongooseIM's backend REST API is a fourth way into the admin commands:
-- its calls are audited as via "mongoose".
ALTER TABLE admin_audit DROP CONSTRAINT admin_audit_via_check,
	ADD CONSTRAINT admin_audit_via_check
	CHECK (via IN ('restful', 'http_api', 'shell', 'mongoose'));
