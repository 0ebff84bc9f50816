global using Orleans.Concurrency;
global using RedEducation.Storage;
