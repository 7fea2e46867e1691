# label: vulnerable CWE-798
# round: 3
import stripe

stripe.api_key = "sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
