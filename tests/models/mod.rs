mod reputation;
