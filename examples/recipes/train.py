# The script every recipe runs: its settings are globals.
lr = 0.01  # learning rate
epochs = 3

loss = 2.0
for step in range(1, epochs + 1):
    loss *= 1 - lr
print(f"final loss: {loss:.4f} (lr={lr}, epochs={epochs})")
