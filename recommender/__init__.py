"""jobrec recommender: a plain library (data, skills, topics, recommendations, salary)."""
