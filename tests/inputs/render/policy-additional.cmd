render --input policy.json
