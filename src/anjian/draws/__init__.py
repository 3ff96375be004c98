"""Double-random draws (双随机、一公开): the seeded, published, re-runnable draw of inspection
objects and inspectors (N3.3). `algorithm` is the pure algorithm of docs/algorithms/draw.md."""
