"""Virtual SSP and RTEC services that a consumer under test talks to, recording what it sends."""
