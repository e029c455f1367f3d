"""The programs are scripts run in subprocesses by test_programs.py, never imported here."""
collect_ignore_glob = ["programs/*.py", "_torch_alias.py", "_run_programs.py"]
