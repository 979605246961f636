"""A process that stays after `pykyll build --incremental`, so the next one starts warm.

`client` hands a build to it, `server` is the process, `snapshot` the site it reads ahead,
`protocol` what the two say to each other."""
