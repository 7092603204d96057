"""The human resources and social security bureau (人力资源和社会保障局, RSJ) as a spotcheck department plugin."""
