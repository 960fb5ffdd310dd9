"""Community: topic boards with posts, replies, reactions, reports and moderation."""
