"""A stand-in for a training script: flags are plain module-level globals.

guild-stage finds them (`lr`, `epochs`, ...) and rewrites their values in a staged
copy of this file, so the run directory holds exactly the code that ran.
"""
import math
import random

#| description: Learning rate
#| min: 0
lr = 0.01
epochs = 3  # Number of passes over the data
#| choices: [sgd, adam]
optimizer = "sgd"
seed = 42



def train():
    random.seed(seed)
    loss = 2.0
    for epoch in range(1, epochs + 1):
        step = lr * (2.0 if optimizer == "adam" else 1.0)
        loss = loss * math.exp(-step * 5) + random.uniform(0, 0.01)
        print(f"loss: {loss:.4f} (step {epoch})")
    print(f"final loss: {loss:.4f} (lr={lr}, epochs={epochs}, optimizer={optimizer})")


if __name__ == "__main__":
    train()
