"""The record kinds and the rules of each area: reads for pages, writes with validation. No Streamlit."""
