# A plain training script: its settings are globals, and it reads no command line.
lr = 0.01  # learning rate
epochs = 3

loss = 2.0
for step in range(1, epochs + 1):
    loss *= 1 - lr
    print(f"loss: {loss:.4f} (step {step})")
print(f"final loss: {loss:.4f} (lr={lr}, epochs={epochs})")
