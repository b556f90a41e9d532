# Passed with --config so that a gunicorn.conf.py in the working directory (gunicorn reads
# ./gunicorn.conf.py by default) cannot change the measured server: every setting the
# harness uses is on its command line (bench/server.py) and recorded with the results.
