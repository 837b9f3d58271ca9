"""The Streamlit-aware layer: page setup, cached reads and shared widgets."""
