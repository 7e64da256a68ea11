// Tests run quietly unless asked otherwise; integration tests read child process logs directly.
process.env.MAMMOCAD_LOG_LEVEL = process.env.MAMMOCAD_LOG_LEVEL || 'error';
