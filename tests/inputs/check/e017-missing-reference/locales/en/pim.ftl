-company = Contoso
    .gender = neuter
greeting = Hello
    .formal = Good day
