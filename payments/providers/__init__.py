"""Payment providers behind one port: the sandbox (default, no keys) and Stripe."""
