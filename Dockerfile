# A container image of localgov, from the Debian package that scripts/package builds (run it
# first: this copies dist/localgov_<version>_amd64.deb, and .dockerignore sends nothing else).
#
#   scripts/package
#   docker build -t localgov .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" localgov build          # into ./public
#   docker run --rm -v "$PWD:/site" -p 8000:8000 localgov serve --bind 0.0.0.0    # preview
#
# It runs as the user localgov (uid 1000), so the mounted site folder must be writable by that
# user, or give your own with -u as above.
FROM debian:bookworm-slim

COPY dist/localgov_*_amd64.deb /tmp/

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/localgov_*_amd64.deb \
    && rm -rf /var/lib/apt/lists/* /tmp/localgov_*_amd64.deb \
    && useradd --uid 1000 --user-group --create-home --shell /usr/sbin/nologin localgov \
    && localgov --version

USER localgov
WORKDIR /site
EXPOSE 8000
ENTRYPOINT ["localgov"]
CMD ["build"]
