# tools/lab/lib/bgp-multi.sh: `interop bgp` with several gateway instances (issue 7). (stub)
bgp_multi_fail_all() { return 0; }
bgp_multi_groups() { return 0; }
